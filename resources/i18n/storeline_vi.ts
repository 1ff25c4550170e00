<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN">
<context>
    <name>AmountDialog</name>
    <message>
        <location filename="../../ui/amount_dialog.py" line="32"/>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../../ui/amount_dialog.py" line="32"/>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
</context>
<context>
    <name>AttachCustomerDialog</name>
    <message>
        <location filename="../../ui/customers/basket_customer.py" line="33"/>
        <source>Customer for this sale</source>
        <translation>Khách hàng của đơn này</translation>
    </message>
    <message>
        <location filename="../../ui/customers/basket_customer.py" line="37"/>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <location filename="../../ui/customers/basket_customer.py" line="37"/>
        <source>Choose</source>
        <translation>Chọn</translation>
    </message>
</context>
<context>
    <name>BasketCustomer</name>
    <message>
        <location filename="../../ui/customers/basket_customer.py" line="83"/>
        <source>Customer…</source>
        <translation>Khách hàng…</translation>
    </message>
    <message>
        <location filename="../../ui/customers/basket_customer.py" line="84"/>
        <source>Detach</source>
        <translation>Bỏ khách</translation>
    </message>
    <message>
        <location filename="../../ui/customers/basket_customer.py" line="85"/>
        <source>Pay with points</source>
        <translation>Trả bằng điểm</translation>
    </message>
    <message>
        <location filename="../../ui/customers/basket_customer.py" line="97"/>
        <source>Finding the customer…</source>
        <translation>Đang tìm khách hàng…</translation>
    </message>
    <message>
        <location filename="../../ui/customers/basket_customer.py" line="103"/>
        <source>This customer could not be found: %1</source>
        <translation>Không tìm thấy khách hàng này: %1</translation>
    </message>
    <message>
        <location filename="../../ui/customers/basket_customer.py" line="112"/>
        <source>%1 is on this sale</source>
        <translation>Đã gắn %1 vào đơn này</translation>
    </message>
    <message>
        <location filename="../../ui/customers/basket_customer.py" line="122"/>
        <source>No customer found for this card or receipt.</source>
        <translation>Không có khách hàng nào ứng với thẻ hoặc hóa đơn này.</translation>
    </message>
    <message>
        <location filename="../../ui/customers/basket_customer.py" line="143"/>
        <source>No customer on this sale</source>
        <translation>Đơn chưa gắn khách hàng</translation>
    </message>
    <message>
        <location filename="../../ui/customers/basket_customer.py" line="148"/>
        <source>%1 · %2 points</source>
        <translation>%1 · %2 điểm</translation>
    </message>
    <message>
        <location filename="../../ui/customers/basket_customer.py" line="168"/>
        <source>Not sold in this store: %1</source>
        <translation>Cửa hàng này không bán: %1</translation>
    </message>
    <message>
        <location filename="../../ui/customers/basket_customer.py" line="198"/>
        <source>No points can be used now: balance %1, usable 0.</source>
        <translation>Hiện không dùng được điểm: số dư %1, dùng được 0.</translation>
    </message>
</context>
<context>
    <name>BasketEdits</name>
    <message>
        <location filename="../../ui/sell/basket_edits.py" line="76"/>
        <source>Quantity</source>
        <translation>Số lượng</translation>
    </message>
    <message>
        <location filename="../../ui/sell/basket_edits.py" line="77"/>
        <source>Remove</source>
        <translation>Xóa dòng</translation>
    </message>
    <message>
        <location filename="../../ui/sell/basket_edits.py" line="78"/>
        <location filename="../../ui/sell/basket_edits.py" line="121"/>
        <source>Line discount</source>
        <translation>Giảm giá dòng</translation>
    </message>
    <message>
        <location filename="../../ui/sell/basket_edits.py" line="79"/>
        <location filename="../../ui/sell/basket_edits.py" line="121"/>
        <source>Basket discount</source>
        <translation>Giảm giá đơn</translation>
    </message>
    <message>
        <location filename="../../ui/sell/basket_edits.py" line="80"/>
        <location filename="../../ui/sell/basket_edits.py" line="157"/>
        <source>Change price</source>
        <translation>Đổi giá</translation>
    </message>
    <message>
        <location filename="../../ui/sell/basket_edits.py" line="81"/>
        <source>Void basket</source>
        <translation>Hủy giỏ hàng</translation>
    </message>
    <message>
        <location filename="../../ui/sell/basket_edits.py" line="90"/>
        <source>Quantity: %1</source>
        <translation>Số lượng: %1</translation>
    </message>
    <message>
        <location filename="../../ui/sell/basket_edits.py" line="95"/>
        <source>Type a quantity on the keypad, then press Quantity</source>
        <translation>Nhập số lượng trên bàn phím số, rồi bấm Số lượng</translation>
    </message>
    <message>
        <location filename="../../ui/sell/basket_edits.py" line="119"/>
        <location filename="../../ui/sell/basket_edits.py" line="154"/>
        <source>Add an item first</source>
        <translation>Hãy thêm sản phẩm trước</translation>
    </message>
    <message>
        <location filename="../../ui/sell/basket_edits.py" line="147"/>
        <source>A discount above %1 % needs a manager.</source>
        <translation>Giảm giá trên %1 % cần quản lý duyệt.</translation>
    </message>
    <message>
        <location filename="../../ui/sell/basket_edits.py" line="158"/>
        <source>New unit price for %1</source>
        <translation>Đơn giá mới cho %1</translation>
    </message>
    <message>
        <location filename="../../ui/sell/basket_edits.py" line="164"/>
        <source>Changing a price needs a manager.</source>
        <translation>Đổi giá cần quản lý duyệt.</translation>
    </message>
</context>
<context>
    <name>BasketPanel</name>
    <message>
        <location filename="../../ui/sell/basket_panel.py" line="81"/>
        <source>Item</source>
        <translation>Sản phẩm</translation>
    </message>
    <message>
        <location filename="../../ui/sell/basket_panel.py" line="81"/>
        <source>Qty</source>
        <translation>SL</translation>
    </message>
    <message>
        <location filename="../../ui/sell/basket_panel.py" line="81"/>
        <source>Price</source>
        <translation>Đơn giá</translation>
    </message>
    <message>
        <location filename="../../ui/sell/basket_panel.py" line="81"/>
        <source>Amount</source>
        <translation>Thành tiền</translation>
    </message>
    <message>
        <location filename="../../ui/sell/basket_panel.py" line="82"/>
        <source>Subtotal</source>
        <translation>Tạm tính</translation>
    </message>
    <message>
        <location filename="../../ui/sell/basket_panel.py" line="83"/>
        <source>Discounts</source>
        <translation>Giảm giá</translation>
    </message>
    <message>
        <location filename="../../ui/sell/basket_panel.py" line="84"/>
        <source>VAT included</source>
        <translation>Đã gồm VAT</translation>
    </message>
    <message>
        <location filename="../../ui/sell/basket_panel.py" line="85"/>
        <source>Sales tax</source>
        <translation>Thuế bán hàng</translation>
    </message>
    <message>
        <location filename="../../ui/sell/basket_panel.py" line="86"/>
        <source>Total</source>
        <translation>Tổng cộng</translation>
    </message>
</context>
<context>
    <name>CartWishlistTab</name>
    <message>
        <location filename="../../ui/customers/profile_tabs.py" line="167"/>
        <source>Online cart</source>
        <translation>Giỏ hàng online</translation>
    </message>
    <message>
        <location filename="../../ui/customers/profile_tabs.py" line="168"/>
        <source>Wishlist</source>
        <translation>Danh sách yêu thích</translation>
    </message>
    <message>
        <location filename="../../ui/customers/profile_tabs.py" line="169"/>
        <source>Add all to basket</source>
        <translation>Thêm tất cả vào đơn</translation>
    </message>
    <message>
        <location filename="../../ui/customers/profile_tabs.py" line="178"/>
        <source>Add to basket</source>
        <translation>Thêm vào đơn</translation>
    </message>
    <message>
        <location filename="../../ui/customers/profile_tabs.py" line="184"/>
        <source>Her online cart is empty.</source>
        <translation>Giỏ hàng online của khách đang trống.</translation>
    </message>
    <message>
        <location filename="../../ui/customers/profile_tabs.py" line="185"/>
        <source>No wishlist items.</source>
        <translation>Chưa có món yêu thích nào.</translation>
    </message>
</context>
<context>
    <name>CashDialog</name>
    <message>
        <location filename="../../ui/sell/cash_dialog.py" line="22"/>
        <source>Cash payment</source>
        <translation>Thanh toán tiền mặt</translation>
    </message>
    <message>
        <location filename="../../ui/sell/cash_dialog.py" line="28"/>
        <source>Amount due: %1</source>
        <translation>Cần thanh toán: %1</translation>
    </message>
    <message>
        <location filename="../../ui/sell/cash_dialog.py" line="37"/>
        <source>Exact</source>
        <translation>Vừa đủ</translation>
    </message>
    <message>
        <location filename="../../ui/sell/cash_dialog.py" line="46"/>
        <source>Confirm cash</source>
        <translation>Xác nhận tiền mặt</translation>
    </message>
    <message>
        <location filename="../../ui/sell/cash_dialog.py" line="46"/>
        <source>Back</source>
        <translation>Quay lại</translation>
    </message>
    <message>
        <location filename="../../ui/sell/cash_dialog.py" line="70"/>
        <source>Cash received: %1</source>
        <translation>Khách đưa: %1</translation>
    </message>
    <message>
        <location filename="../../ui/sell/cash_dialog.py" line="72"/>
        <source>Change: %1</source>
        <translation>Tiền thừa: %1</translation>
    </message>
    <message>
        <location filename="../../ui/sell/cash_dialog.py" line="74"/>
        <source>Still due: %1</source>
        <translation>Còn thiếu: %1</translation>
    </message>
</context>
<context>
    <name>CustomerForm</name>
    <message>
        <location filename="../../ui/customers/customer_form.py" line="124"/>
        <source>Edit customer</source>
        <translation>Sửa thông tin khách hàng</translation>
    </message>
    <message>
        <location filename="../../ui/customers/customer_form.py" line="124"/>
        <source>New customer</source>
        <translation>Khách hàng mới</translation>
    </message>
    <message>
        <location filename="../../ui/customers/customer_form.py" line="125"/>
        <source>Name *</source>
        <translation>Họ tên *</translation>
    </message>
    <message>
        <location filename="../../ui/customers/customer_form.py" line="125"/>
        <location filename="../../ui/customers/customer_form.py" line="303"/>
        <source>Phone</source>
        <translation>Điện thoại</translation>
    </message>
    <message>
        <location filename="../../ui/customers/customer_form.py" line="125"/>
        <location filename="../../ui/customers/customer_form.py" line="304"/>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <location filename="../../ui/customers/customer_form.py" line="125"/>
        <location filename="../../ui/customers/customer_form.py" line="304"/>
        <source>Loyalty card</source>
        <translation>Thẻ thành viên</translation>
    </message>
    <message>
        <location filename="../../ui/customers/customer_form.py" line="126"/>
        <source>Sizes</source>
        <translation>Cỡ</translation>
    </message>
    <message>
        <location filename="../../ui/customers/customer_form.py" line="126"/>
        <source>Preferences</source>
        <translation>Sở thích</translation>
    </message>
    <message>
        <location filename="../../ui/customers/customer_form.py" line="126"/>
        <source>Consent</source>
        <translation>Đồng ý</translation>
    </message>
    <message>
        <location filename="../../ui/customers/customer_form.py" line="127"/>
        <source>Consent given</source>
        <translation>Đồng ý qua</translation>
    </message>
    <message>
        <location filename="../../ui/customers/customer_form.py" line="130"/>
        <source>e.g. 0901 234 567</source>
        <translation>vd. 0901 234 567</translation>
    </message>
    <message>
        <location filename="../../ui/customers/customer_form.py" line="131"/>
        <source>e.g. mai@example.com</source>
        <translation>vd. mai@example.com</translation>
    </message>
    <message>
        <location filename="../../ui/customers/customer_form.py" line="132"/>
        <source>scan or type, optional</source>
        <translation>quét hoặc nhập, không bắt buộc</translation>
    </message>
    <message>
        <location filename="../../ui/customers/customer_form.py" line="133"/>
        <source>tops, e.g. M</source>
        <translation>áo, vd. M</translation>
    </message>
    <message>
        <location filename="../../ui/customers/customer_form.py" line="133"/>
        <source>bottoms, e.g. 28</source>
        <translation>quần, vd. 28</translation>
    </message>
    <message>
        <location filename="../../ui/customers/customer_form.py" line="134"/>
        <source>shoes, e.g. 38</source>
        <translation>giày, vd. 38</translation>
    </message>
    <message>
        <location filename="../../ui/customers/customer_form.py" line="136"/>
        <source>colours, styles, e.g. blue, linen</source>
        <translation>màu, kiểu, vd. xanh, vải lanh</translation>
    </message>
    <message>
        <location filename="../../ui/customers/customer_form.py" line="137"/>
        <source>Keep her data (data use)</source>
        <translation>Lưu dữ liệu của khách (sử dụng dữ liệu)</translation>
    </message>
    <message>
        <location filename="../../ui/customers/customer_form.py" line="138"/>
        <source>Send offers (marketing)</source>
        <translation>Gửi ưu đãi (tiếp thị)</translation>
    </message>
    <message>
        <location filename="../../ui/customers/customer_form.py" line="144"/>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <location filename="../../ui/customers/customer_form.py" line="145"/>
        <source>Save changes</source>
        <translation>Lưu thay đổi</translation>
    </message>
    <message>
        <location filename="../../ui/customers/customer_form.py" line="145"/>
        <source>Create</source>
        <translation>Tạo</translation>
    </message>
    <message>
        <location filename="../../ui/customers/customer_form.py" line="146"/>
        <source>Not her: create new</source>
        <translation>Không phải khách này: tạo mới</translation>
    </message>
    <message>
        <location filename="../../ui/customers/customer_form.py" line="235"/>
        <source>&lt;b&gt;She may already be a customer.&lt;/b&gt; Open her profile instead of creating a second one:</source>
        <translation>&lt;b&gt;Khách có thể đã có hồ sơ.&lt;/b&gt; Hãy mở hồ sơ đó thay vì tạo hồ sơ thứ hai:</translation>
    </message>
    <message>
        <location filename="../../ui/customers/customer_form.py" line="241"/>
        <source>same phone</source>
        <translation>trùng số điện thoại</translation>
    </message>
    <message>
        <location filename="../../ui/customers/customer_form.py" line="241"/>
        <source>same e-mail</source>
        <translation>trùng e-mail</translation>
    </message>
    <message>
        <location filename="../../ui/customers/customer_form.py" line="248"/>
        <source>Open this customer</source>
        <translation>Mở hồ sơ này</translation>
    </message>
    <message>
        <location filename="../../ui/customers/customer_form.py" line="258"/>
        <source>Enter her name.</source>
        <translation>Nhập họ tên khách hàng.</translation>
    </message>
    <message>
        <location filename="../../ui/customers/customer_form.py" line="270"/>
        <source>Check the possible duplicates above first.</source>
        <translation>Hãy kiểm tra các hồ sơ có thể trùng ở trên trước.</translation>
    </message>
    <message>
        <location filename="../../ui/customers/customer_form.py" line="303"/>
        <source>Name</source>
        <translation>Tên</translation>
    </message>
    <message>
        <location filename="../../ui/customers/customer_form.py" line="312"/>
        <source>Not saved: %1</source>
        <translation>Chưa lưu được: %1</translation>
    </message>
</context>
<context>
    <name>CustomerSearchPanel</name>
    <message>
        <location filename="../../ui/customers/search_panel.py" line="58"/>
        <source>Name, phone, e-mail or loyalty card — or scan her card or e-receipt</source>
        <translation>Tên, điện thoại, e-mail hoặc thẻ thành viên — hoặc quét thẻ hay hóa đơn điện tử</translation>
    </message>
    <message>
        <location filename="../../ui/customers/search_panel.py" line="86"/>
        <source>HQ could not search: %1</source>
        <translation>Trụ sở không tìm được: %1</translation>
    </message>
    <message>
        <location filename="../../ui/customers/search_panel.py" line="90"/>
        <source>Search failed: %1. Try again.</source>
        <translation>Tìm kiếm thất bại: %1. Hãy thử lại.</translation>
    </message>
    <message>
        <location filename="../../ui/customers/search_panel.py" line="103"/>
        <source>No customer matches. Check the spelling or the number, or create a new customer.</source>
        <translation>Không có khách hàng phù hợp. Kiểm tra lại chính tả hoặc số, hoặc tạo khách hàng mới.</translation>
    </message>
</context>
<context>
    <name>CustomerWording</name>
    <message>
        <location filename="../../ui/customers/wording.py" line="26"/>
        <source>Member</source>
        <translation>Thành viên</translation>
    </message>
    <message>
        <location filename="../../ui/customers/wording.py" line="26"/>
        <source>Silver</source>
        <translation>Bạc</translation>
    </message>
    <message>
        <location filename="../../ui/customers/wording.py" line="27"/>
        <source>Gold</source>
        <translation>Vàng</translation>
    </message>
    <message>
        <location filename="../../ui/customers/wording.py" line="27"/>
        <source>Platinum</source>
        <translation>Bạch kim</translation>
    </message>
    <message>
        <location filename="../../ui/customers/wording.py" line="31"/>
        <source>placed</source>
        <translation>đã đặt</translation>
    </message>
    <message>
        <location filename="../../ui/customers/wording.py" line="31"/>
        <source>processing</source>
        <translation>đang xử lý</translation>
    </message>
    <message>
        <location filename="../../ui/customers/wording.py" line="32"/>
        <source>ready for pickup</source>
        <translation>sẵn sàng nhận</translation>
    </message>
    <message>
        <location filename="../../ui/customers/wording.py" line="33"/>
        <source>picked up</source>
        <translation>đã nhận</translation>
    </message>
    <message>
        <location filename="../../ui/customers/wording.py" line="33"/>
        <source>shipped</source>
        <translation>đã gửi</translation>
    </message>
    <message>
        <location filename="../../ui/customers/wording.py" line="34"/>
        <source>delivered</source>
        <translation>đã giao</translation>
    </message>
    <message>
        <location filename="../../ui/customers/wording.py" line="34"/>
        <source>completed</source>
        <translation>hoàn tất</translation>
    </message>
    <message>
        <location filename="../../ui/customers/wording.py" line="35"/>
        <source>cancelled</source>
        <translation>đã hủy</translation>
    </message>
    <message>
        <location filename="../../ui/customers/wording.py" line="35"/>
        <source>returned</source>
        <translation>đã trả</translation>
    </message>
    <message>
        <location filename="../../ui/customers/wording.py" line="41"/>
        <source>Store %1</source>
        <translation>Cửa hàng %1</translation>
    </message>
    <message>
        <location filename="../../ui/customers/wording.py" line="43"/>
        <source>Web · pickup %1</source>
        <translation>Web · nhận tại %1</translation>
    </message>
    <message>
        <location filename="../../ui/customers/wording.py" line="44"/>
        <source>Web</source>
        <translation>Web</translation>
    </message>
    <message>
        <location filename="../../ui/customers/wording.py" line="47"/>
        <source>Marketing</source>
        <translation>Tiếp thị</translation>
    </message>
    <message>
        <location filename="../../ui/customers/wording.py" line="48"/>
        <source>Data use</source>
        <translation>Sử dụng dữ liệu</translation>
    </message>
    <message>
        <location filename="../../ui/customers/wording.py" line="51"/>
        <source>in store</source>
        <translation>tại cửa hàng</translation>
    </message>
    <message>
        <location filename="../../ui/customers/wording.py" line="52"/>
        <source>web</source>
        <translation>trên web</translation>
    </message>
    <message>
        <location filename="../../ui/customers/wording.py" line="53"/>
        <source>by phone</source>
        <translation>qua điện thoại</translation>
    </message>
    <message>
        <location filename="../../ui/customers/wording.py" line="53"/>
        <source>by e-mail</source>
        <translation>qua e-mail</translation>
    </message>
    <message>
        <location filename="../../ui/customers/wording.py" line="57"/>
        <source>Earned</source>
        <translation>Tích điểm</translation>
    </message>
    <message>
        <location filename="../../ui/customers/wording.py" line="57"/>
        <source>Redeemed</source>
        <translation>Dùng điểm</translation>
    </message>
    <message>
        <location filename="../../ui/customers/wording.py" line="58"/>
        <source>Welcome bonus</source>
        <translation>Thưởng chào mừng</translation>
    </message>
    <message>
        <location filename="../../ui/customers/wording.py" line="58"/>
        <source>Adjustment</source>
        <translation>Điều chỉnh</translation>
    </message>
    <message>
        <location filename="../../ui/customers/wording.py" line="59"/>
        <source>Expired</source>
        <translation>Hết hạn</translation>
    </message>
    <message>
        <location filename="../../ui/customers/wording.py" line="68"/>
        <source>Because she bought %1</source>
        <translation>Vì khách đã mua %1</translation>
    </message>
    <message>
        <location filename="../../ui/customers/wording.py" line="70"/>
        <source>Best seller in her size %1</source>
        <translation>Bán chạy ở cỡ %1 của khách</translation>
    </message>
    <message>
        <location filename="../../ui/customers/wording.py" line="73"/>
        <source>She often buys %1</source>
        <translation>Khách hay mua %1</translation>
    </message>
    <message>
        <location filename="../../ui/customers/wording.py" line="77"/>
        <source>not sold in this store</source>
        <translation>cửa hàng này không bán</translation>
    </message>
    <message>
        <location filename="../../ui/customers/wording.py" line="80"/>
        <source>%1 in stock here</source>
        <translation>còn %1 tại cửa hàng</translation>
    </message>
    <message>
        <location filename="../../ui/customers/wording.py" line="81"/>
        <source>none in stock here</source>
        <translation>hết hàng tại cửa hàng</translation>
    </message>
    <message>
        <location filename="../../ui/customers/wording.py" line="86"/>
        <source>Live from HQ</source>
        <translation>Trực tiếp từ trụ sở</translation>
    </message>
    <message>
        <location filename="../../ui/customers/wording.py" line="88"/>
        <source>Offline — saved data from %1</source>
        <translation>Ngoại tuyến — dữ liệu đã lưu lúc %1</translation>
    </message>
    <message>
        <location filename="../../ui/customers/wording.py" line="89"/>
        <source>Offline — saved data on this till</source>
        <translation>Ngoại tuyến — dữ liệu đã lưu trên máy này</translation>
    </message>
</context>
<context>
    <name>CustomersScreen</name>
    <message>
        <location filename="../../ui/customers/customers_screen.py" line="87"/>
        <source>New customer</source>
        <translation>Khách hàng mới</translation>
    </message>
    <message>
        <location filename="../../ui/customers/customers_screen.py" line="88"/>
        <source>My tasks</source>
        <translation>Việc của tôi</translation>
    </message>
    <message>
        <location filename="../../ui/customers/customers_screen.py" line="127"/>
        <source>Customer saved. HQ gets it with the next sync.</source>
        <translation>Đã lưu khách hàng. Trụ sở sẽ nhận ở lần đồng bộ tới.</translation>
    </message>
    <message>
        <location filename="../../ui/customers/customers_screen.py" line="134"/>
        <source>Opening the profile…</source>
        <translation>Đang mở hồ sơ…</translation>
    </message>
    <message>
        <location filename="../../ui/customers/customers_screen.py" line="138"/>
        <source>Could not open the profile: %1</source>
        <translation>Không mở được hồ sơ: %1</translation>
    </message>
    <message>
        <location filename="../../ui/customers/customers_screen.py" line="148"/>
        <source>HQ does not know this customer: %1</source>
        <translation>Trụ sở không có khách hàng này: %1</translation>
    </message>
    <message>
        <location filename="../../ui/customers/customers_screen.py" line="151"/>
        <source>Offline, and this customer is not in the store&apos;s saved data. Try again when the till is online.</source>
        <translation>Đang ngoại tuyến và khách hàng này không có trong dữ liệu đã lưu của cửa hàng. Hãy thử lại khi máy có mạng.</translation>
    </message>
    <message>
        <location filename="../../ui/customers/customers_screen.py" line="175"/>
        <source>No customer found for the code %1.</source>
        <translation>Không có khách hàng nào với mã %1.</translation>
    </message>
</context>
<context>
    <name>DiscountDialog</name>
    <message>
        <location filename="../../ui/sell/discount_dialog.py" line="26"/>
        <source>Percent %</source>
        <translation>Phần trăm %</translation>
    </message>
    <message>
        <location filename="../../ui/sell/discount_dialog.py" line="27"/>
        <source>Amount</source>
        <translation>Thành tiền</translation>
    </message>
    <message>
        <location filename="../../ui/sell/discount_dialog.py" line="35"/>
        <source>Value</source>
        <translation>Giá trị</translation>
    </message>
    <message>
        <location filename="../../ui/sell/discount_dialog.py" line="39"/>
        <source>Damaged item</source>
        <translation>Hàng lỗi</translation>
    </message>
    <message>
        <location filename="../../ui/sell/discount_dialog.py" line="39"/>
        <source>Price match</source>
        <translation>Khớp giá</translation>
    </message>
    <message>
        <location filename="../../ui/sell/discount_dialog.py" line="40"/>
        <source>Loyal customer</source>
        <translation>Khách thân thiết</translation>
    </message>
    <message>
        <location filename="../../ui/sell/discount_dialog.py" line="40"/>
        <source>Staff discount</source>
        <translation>Giảm giá nhân viên</translation>
    </message>
    <message>
        <location filename="../../ui/sell/discount_dialog.py" line="41"/>
        <source>Promotion</source>
        <translation>Khuyến mãi</translation>
    </message>
    <message>
        <location filename="../../ui/sell/discount_dialog.py" line="43"/>
        <source>Reason (required)</source>
        <translation>Lý do (bắt buộc)</translation>
    </message>
    <message>
        <location filename="../../ui/sell/discount_dialog.py" line="49"/>
        <source>Apply</source>
        <translation>Áp dụng</translation>
    </message>
    <message>
        <location filename="../../ui/sell/discount_dialog.py" line="49"/>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <location filename="../../ui/sell/discount_dialog.py" line="82"/>
        <source>Enter a percentage such as 15 or 12.5</source>
        <translation>Nhập phần trăm, ví dụ 15 hoặc 12.5</translation>
    </message>
    <message>
        <location filename="../../ui/sell/discount_dialog.py" line="83"/>
        <source>Enter an amount in the store&apos;s currency</source>
        <translation>Nhập số tiền theo đơn vị tiền của cửa hàng</translation>
    </message>
    <message>
        <location filename="../../ui/sell/discount_dialog.py" line="85"/>
        <source>Enter a discount above zero</source>
        <translation>Nhập mức giảm lớn hơn 0</translation>
    </message>
    <message>
        <location filename="../../ui/sell/discount_dialog.py" line="87"/>
        <source>A discount cannot be more than 100 %</source>
        <translation>Giảm giá không thể quá 100 %</translation>
    </message>
    <message>
        <location filename="../../ui/sell/discount_dialog.py" line="89"/>
        <source>Choose or type a reason</source>
        <translation>Chọn hoặc nhập lý do</translation>
    </message>
    <message>
        <location filename="../../ui/sell/discount_dialog.py" line="91"/>
        <source>Reason</source>
        <translation>Lý do</translation>
    </message>
    <message>
        <location filename="../../ui/sell/discount_dialog.py" line="80"/>
        <source>Enter a value</source>
        <translation>Nhập giá trị</translation>
    </message>
</context>
<context>
    <name>EnrolWizard</name>
    <message>
        <location filename="../../ui/enrol_wizard.py" line="78"/>
        <source>Set up this till</source>
        <translation>Cài đặt máy bán hàng</translation>
    </message>
    <message>
        <location filename="../../ui/enrol_wizard.py" line="79"/>
        <source>Ask HQ IT for an enrolment code for your store. Type it, or scan its QR code with the till&apos;s scanner.</source>
        <translation>Xin bộ phận IT của HQ mã đăng ký cho cửa hàng. Nhập mã, hoặc quét mã QR bằng máy quét của quầy.</translation>
    </message>
    <message>
        <location filename="../../ui/enrol_wizard.py" line="81"/>
        <source>HQ address</source>
        <translation>Địa chỉ HQ</translation>
    </message>
    <message>
        <location filename="../../ui/enrol_wizard.py" line="82"/>
        <source>Enrolment code</source>
        <translation>Mã đăng ký</translation>
    </message>
    <message>
        <location filename="../../ui/enrol_wizard.py" line="83"/>
        <source>Name of this till</source>
        <translation>Tên máy này</translation>
    </message>
    <message>
        <location filename="../../ui/enrol_wizard.py" line="84"/>
        <source>e.g. Counter 1</source>
        <translation>ví dụ: Quầy 1</translation>
    </message>
    <message>
        <location filename="../../ui/enrol_wizard.py" line="85"/>
        <source>Enrol and download the store</source>
        <translation>Đăng ký và tải dữ liệu cửa hàng</translation>
    </message>
    <message>
        <location filename="../../ui/enrol_wizard.py" line="87"/>
        <source>This till is enrolled, but downloading the store did not finish. Resume it: no new code is needed.</source>
        <translation>Máy đã được đăng ký nhưng việc tải dữ liệu cửa hàng chưa xong. Hãy tải tiếp: không cần mã mới.</translation>
    </message>
    <message>
        <location filename="../../ui/enrol_wizard.py" line="89"/>
        <source>Resume the download</source>
        <translation>Tải tiếp</translation>
    </message>
    <message>
        <location filename="../../ui/enrol_wizard.py" line="99"/>
        <source>Type HQ&apos;s address, starting with https:// (or http:// on a test network).</source>
        <translation>Nhập địa chỉ HQ, bắt đầu bằng https:// (hoặc http:// trên mạng thử nghiệm).</translation>
    </message>
    <message>
        <location filename="../../ui/enrol_wizard.py" line="105"/>
        <source>The enrolment code is at least 6 characters.</source>
        <translation>Mã đăng ký có ít nhất 6 ký tự.</translation>
    </message>
    <message>
        <location filename="../../ui/enrol_wizard.py" line="110"/>
        <source>Contacting HQ…</source>
        <translation>Đang kết nối HQ…</translation>
    </message>
    <message>
        <location filename="../../ui/enrol_wizard.py" line="117"/>
        <source>Downloading the store: %1 items</source>
        <translation>Đang tải dữ liệu cửa hàng: %1 mục</translation>
    </message>
    <message>
        <location filename="../../ui/enrol_wizard.py" line="121"/>
        <source>Enrolled as %1 of %2.</source>
        <translation>Đã đăng ký là %1 của %2.</translation>
    </message>
    <message>
        <location filename="../../ui/enrol_wizard.py" line="130"/>
        <source>HQ refused the code: %1. Ask HQ IT for a new one.</source>
        <translation>HQ từ chối mã: %1. Hãy xin IT của HQ mã mới.</translation>
    </message>
    <message>
        <location filename="../../ui/enrol_wizard.py" line="133"/>
        <source>HQ cannot be reached at that address. Check the address and the network, then try again.</source>
        <translation>Không kết nối được HQ ở địa chỉ này. Kiểm tra địa chỉ và mạng rồi thử lại.</translation>
    </message>
</context>
<context>
    <name>HistoryTab</name>
    <message>
        <location filename="../../ui/customers/profile_tabs.py" line="42"/>
        <source>Order / item</source>
        <translation>Đơn / món</translation>
    </message>
    <message>
        <location filename="../../ui/customers/profile_tabs.py" line="42"/>
        <source>Date</source>
        <translation>Ngày</translation>
    </message>
    <message>
        <location filename="../../ui/customers/profile_tabs.py" line="42"/>
        <source>Where</source>
        <translation>Nơi mua</translation>
    </message>
    <message>
        <location filename="../../ui/customers/profile_tabs.py" line="43"/>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <location filename="../../ui/customers/profile_tabs.py" line="43"/>
        <source>Amount</source>
        <translation>Thành tiền</translation>
    </message>
    <message>
        <location filename="../../ui/customers/profile_tabs.py" line="44"/>
        <source>No purchases yet.</source>
        <translation>Chưa mua hàng lần nào.</translation>
    </message>
</context>
<context>
    <name>LoginScreen</name>
    <message>
        <location filename="../../ui/login_screen.py" line="58"/>
        <source>Sign in to Storeline</source>
        <translation>Đăng nhập Storeline</translation>
    </message>
    <message>
        <location filename="../../ui/login_screen.py" line="59"/>
        <source>PIN</source>
        <translation>Mã PIN</translation>
    </message>
    <message>
        <location filename="../../ui/login_screen.py" line="60"/>
        <source>Sign in</source>
        <translation>Đăng nhập</translation>
    </message>
    <message>
        <location filename="../../ui/login_screen.py" line="94"/>
        <source>Tap your name</source>
        <translation>Chạm vào tên của bạn</translation>
    </message>
    <message>
        <location filename="../../ui/login_screen.py" line="98"/>
        <source>Tap your name first</source>
        <translation>Hãy chọn tên của bạn trước</translation>
    </message>
    <message>
        <location filename="../../ui/login_screen.py" line="109"/>
        <source>Wrong PIN. Try again.</source>
        <translation>Sai mã PIN. Vui lòng thử lại.</translation>
    </message>
</context>
<context>
    <name>LoyaltyTab</name>
    <message>
        <location filename="../../ui/customers/profile_tabs.py" line="248"/>
        <source>Date</source>
        <translation>Ngày</translation>
    </message>
    <message>
        <location filename="../../ui/customers/profile_tabs.py" line="248"/>
        <source>What</source>
        <translation>Nội dung</translation>
    </message>
    <message>
        <location filename="../../ui/customers/profile_tabs.py" line="249"/>
        <source>Points</source>
        <translation>Điểm</translation>
    </message>
    <message>
        <location filename="../../ui/customers/profile_tabs.py" line="249"/>
        <source>Store</source>
        <translation>Cửa hàng</translation>
    </message>
    <message>
        <location filename="../../ui/customers/profile_tabs.py" line="257"/>
        <source>&lt;b&gt;%1 points&lt;/b&gt; (worth %2) · tier %3</source>
        <translation>&lt;b&gt;%1 điểm&lt;/b&gt; (trị giá %2) · hạng %3</translation>
    </message>
    <message>
        <location filename="../../ui/customers/profile_tabs.py" line="261"/>
        <source>%1 more points to %2</source>
        <translation>Còn %1 điểm nữa để lên %2</translation>
    </message>
    <message>
        <location filename="../../ui/customers/profile_tabs.py" line="268"/>
        <source>Top tier</source>
        <translation>Hạng cao nhất</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/shell.py" line="338"/>
        <source>Sell</source>
        <translation>Bán hàng</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="339"/>
        <source>Customers</source>
        <translation>Khách hàng</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="340"/>
        <source>Returns</source>
        <translation>Đổi trả</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="340"/>
        <source>Pickups</source>
        <translation>Nhận hàng</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="341"/>
        <source>Orders</source>
        <translation>Đơn hàng</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="277"/>
        <location filename="../../ui/shell.py" line="341"/>
        <source>Manager</source>
        <translation>Quản lý</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="276"/>
        <source>Associate</source>
        <translation>Nhân viên</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="276"/>
        <source>Cashier</source>
        <translation>Thu ngân</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="325"/>
        <source>HQ sync is not set up on this device yet. Sales stay safely on this device.</source>
        <translation>Thiết bị này chưa kết nối đồng bộ HQ. Đơn hàng vẫn được lưu an toàn trên máy.</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="338"/>
        <source>Receipts</source>
        <translation>Hóa đơn</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="342"/>
        <source>Sync</source>
        <translation>Đồng bộ</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="343"/>
        <source>Settings</source>
        <translation>Cài đặt</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="346"/>
        <source>Lock</source>
        <translation>Khóa</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="363"/>
        <source>Offline: HQ sync is not set up · sales kept on this device, waiting to sync: %1</source>
        <translation>Ngoại tuyến: chưa kết nối đồng bộ HQ · đơn lưu trên máy, chờ đồng bộ: %1</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="377"/>
        <source>never</source>
        <translation>chưa lần nào</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="379"/>
        <source>Online · waiting to sync: %1 · last sync %2</source>
        <translation>Trực tuyến · chờ đồng bộ: %1 · đồng bộ lần cuối %2</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="381"/>
        <source>Offline — sales are kept on this device · waiting to sync: %1 · last sync %2</source>
        <translation>Ngoại tuyến — đơn hàng được lưu trên máy · chờ đồng bộ: %1 · đồng bộ lần cuối %2</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="385"/>
        <source>refused by HQ: %1 (see Sync)</source>
        <translation>HQ từ chối: %1 (xem Đồng bộ)</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="388"/>
        <source>held at this till: %1 (see Sync)</source>
        <translation>giữ lại tại máy này: %1 (xem Đồng bộ)</translation>
    </message>
</context>
<context>
    <name>MyTasksView</name>
    <message>
        <location filename="../../ui/customers/my_tasks.py" line="55"/>
        <source>◀ Back</source>
        <translation>◀ Quay lại</translation>
    </message>
    <message>
        <location filename="../../ui/customers/my_tasks.py" line="56"/>
        <source>My tasks</source>
        <translation>Việc của tôi</translation>
    </message>
    <message>
        <location filename="../../ui/customers/my_tasks.py" line="71"/>
        <source>Could not load the tasks: %1</source>
        <translation>Không tải được danh sách việc: %1</translation>
    </message>
    <message>
        <location filename="../../ui/customers/my_tasks.py" line="85"/>
        <source>No open tasks for you. Well done.</source>
        <translation>Bạn không còn việc nào. Tốt lắm.</translation>
    </message>
    <message>
        <location filename="../../ui/customers/my_tasks.py" line="92"/>
        <source>due %1</source>
        <translation>hạn %1</translation>
    </message>
    <message>
        <location filename="../../ui/customers/my_tasks.py" line="94"/>
        <source>overdue</source>
        <translation>quá hạn</translation>
    </message>
    <message>
        <location filename="../../ui/customers/my_tasks.py" line="96"/>
        <source>anyone</source>
        <translation>bất kỳ ai</translation>
    </message>
    <message>
        <location filename="../../ui/customers/my_tasks.py" line="97"/>
        <source>for %1</source>
        <translation>cho %1</translation>
    </message>
    <message>
        <location filename="../../ui/customers/my_tasks.py" line="102"/>
        <source>Open</source>
        <translation>Mở</translation>
    </message>
    <message>
        <location filename="../../ui/customers/my_tasks.py" line="106"/>
        <source>Mark done</source>
        <translation>Đã xong</translation>
    </message>
</context>
<context>
    <name>NoSale</name>
    <message>
        <location filename="../../ui/printing/no_sale.py" line="46"/>
        <source>No receipt printer set up: the cash drawer opens through the printer. Use the drawer&apos;s key.</source>
        <translation>Chưa cài đặt máy in hóa đơn: ngăn kéo tiền mở qua máy in. Hãy dùng chìa khóa ngăn kéo.</translation>
    </message>
    <message>
        <location filename="../../ui/printing/no_sale.py" line="50"/>
        <source>Opening the cash drawer without a sale needs a manager.</source>
        <translation>Mở ngăn kéo tiền khi không bán hàng cần quản lý duyệt.</translation>
    </message>
    <message>
        <location filename="../../ui/printing/no_sale.py" line="61"/>
        <source>The drawer was not opened: %1</source>
        <translation>Chưa mở ngăn kéo: %1</translation>
    </message>
    <message>
        <location filename="../../ui/printing/no_sale.py" line="66"/>
        <source>Opening the cash drawer…</source>
        <translation>Đang mở ngăn kéo tiền…</translation>
    </message>
</context>
<context>
    <name>NotesTasksTab</name>
    <message>
        <location filename="../../ui/customers/notes_tasks_tab.py" line="93"/>
        <location filename="../../ui/customers/notes_tasks_tab.py" line="155"/>
        <source>Note</source>
        <translation>Ghi chú</translation>
    </message>
    <message>
        <location filename="../../ui/customers/notes_tasks_tab.py" line="94"/>
        <location filename="../../ui/customers/notes_tasks_tab.py" line="180"/>
        <source>Task</source>
        <translation>Việc cần làm</translation>
    </message>
    <message>
        <location filename="../../ui/customers/notes_tasks_tab.py" line="95"/>
        <source>Due</source>
        <translation>Hạn</translation>
    </message>
    <message>
        <location filename="../../ui/customers/notes_tasks_tab.py" line="96"/>
        <source>For</source>
        <translation>Cho</translation>
    </message>
    <message>
        <location filename="../../ui/customers/notes_tasks_tab.py" line="97"/>
        <source>e.g. prefers natural fabrics, gift for her mother in May</source>
        <translation>vd. thích vải tự nhiên, mua quà cho mẹ vào tháng 5</translation>
    </message>
    <message>
        <location filename="../../ui/customers/notes_tasks_tab.py" line="99"/>
        <source>e.g. call when size 42 arrives</source>
        <translation>vd. gọi khi có cỡ 42</translation>
    </message>
    <message>
        <location filename="../../ui/customers/notes_tasks_tab.py" line="100"/>
        <source>Add note</source>
        <translation>Thêm ghi chú</translation>
    </message>
    <message>
        <location filename="../../ui/customers/notes_tasks_tab.py" line="101"/>
        <source>Add task</source>
        <translation>Thêm việc</translation>
    </message>
    <message>
        <location filename="../../ui/customers/notes_tasks_tab.py" line="116"/>
        <source>Anyone in the store</source>
        <translation>Bất kỳ ai trong cửa hàng</translation>
    </message>
    <message>
        <location filename="../../ui/customers/notes_tasks_tab.py" line="153"/>
        <source>Write the note first.</source>
        <translation>Hãy viết ghi chú trước.</translation>
    </message>
    <message>
        <location filename="../../ui/customers/notes_tasks_tab.py" line="171"/>
        <source>Note saved. It reaches HQ with the next sync.</source>
        <translation>Đã lưu ghi chú. Trụ sở sẽ nhận ở lần đồng bộ tới.</translation>
    </message>
    <message>
        <location filename="../../ui/customers/notes_tasks_tab.py" line="178"/>
        <source>Write what needs doing first.</source>
        <translation>Hãy ghi việc cần làm trước.</translation>
    </message>
    <message>
        <location filename="../../ui/customers/notes_tasks_tab.py" line="186"/>
        <source>The due date is in the past: pick today or later.</source>
        <translation>Hạn đã qua: hãy chọn hôm nay hoặc sau đó.</translation>
    </message>
    <message>
        <location filename="../../ui/customers/notes_tasks_tab.py" line="211"/>
        <source>Task saved.</source>
        <translation>Đã lưu việc.</translation>
    </message>
    <message>
        <location filename="../../ui/customers/notes_tasks_tab.py" line="216"/>
        <source>Not saved: %1</source>
        <translation>Chưa lưu được: %1</translation>
    </message>
    <message>
        <location filename="../../ui/customers/notes_tasks_tab.py" line="229"/>
        <source>Tasks</source>
        <translation>Việc cần làm</translation>
    </message>
    <message>
        <location filename="../../ui/customers/notes_tasks_tab.py" line="231"/>
        <source>No tasks.</source>
        <translation>Không có việc nào.</translation>
    </message>
    <message>
        <location filename="../../ui/customers/notes_tasks_tab.py" line="238"/>
        <source>anyone</source>
        <translation>bất kỳ ai</translation>
    </message>
    <message>
        <location filename="../../ui/customers/notes_tasks_tab.py" line="239"/>
        <source>done</source>
        <translation>đã xong</translation>
    </message>
    <message>
        <location filename="../../ui/customers/notes_tasks_tab.py" line="239"/>
        <source>due %1</source>
        <translation>hạn %1</translation>
    </message>
    <message>
        <location filename="../../ui/customers/notes_tasks_tab.py" line="241"/>
        <source>for %1</source>
        <translation>cho %1</translation>
    </message>
    <message>
        <location filename="../../ui/customers/notes_tasks_tab.py" line="247"/>
        <source>Mark done</source>
        <translation>Đã xong</translation>
    </message>
    <message>
        <location filename="../../ui/customers/notes_tasks_tab.py" line="252"/>
        <source>Notes</source>
        <translation>Ghi chú</translation>
    </message>
    <message>
        <location filename="../../ui/customers/notes_tasks_tab.py" line="255"/>
        <source>No notes yet.</source>
        <translation>Chưa có ghi chú.</translation>
    </message>
</context>
<context>
    <name>OverrideDialog</name>
    <message>
        <location filename="../../ui/override_dialog.py" line="22"/>
        <source>Manager approval</source>
        <translation>Quản lý duyệt</translation>
    </message>
    <message>
        <location filename="../../ui/override_dialog.py" line="30"/>
        <source>A manager enters their PIN to approve.</source>
        <translation>Quản lý nhập mã PIN để duyệt.</translation>
    </message>
    <message>
        <location filename="../../ui/override_dialog.py" line="34"/>
        <source>Approve</source>
        <translation>Duyệt</translation>
    </message>
    <message>
        <location filename="../../ui/override_dialog.py" line="34"/>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <location filename="../../ui/override_dialog.py" line="52"/>
        <source>That PIN cannot approve this.</source>
        <translation>Mã PIN này không có quyền duyệt.</translation>
    </message>
</context>
<context>
    <name>PaymentPage</name>
    <message>
        <location filename="../../ui/payments/payment_page.py" line="162"/>
        <source>Payment</source>
        <translation>Thanh toán</translation>
    </message>
    <message>
        <location filename="../../ui/payments/payment_page.py" line="163"/>
        <source>Total</source>
        <translation>Tổng cộng</translation>
    </message>
    <message>
        <location filename="../../ui/payments/payment_page.py" line="164"/>
        <source>Paid</source>
        <translation>Đã trả</translation>
    </message>
    <message>
        <location filename="../../ui/payments/payment_page.py" line="165"/>
        <source>Still due</source>
        <translation>Còn phải trả</translation>
    </message>
    <message>
        <location filename="../../ui/payments/payment_page.py" line="166"/>
        <source>Back to basket</source>
        <translation>Quay lại giỏ hàng</translation>
    </message>
    <message>
        <location filename="../../ui/payments/payment_page.py" line="167"/>
        <source>Cash</source>
        <translation>Tiền mặt</translation>
    </message>
    <message>
        <location filename="../../ui/payments/payment_page.py" line="168"/>
        <source>Card</source>
        <translation>Thẻ</translation>
    </message>
    <message>
        <location filename="../../ui/payments/payment_page.py" line="169"/>
        <source>Card on a stand-alone terminal</source>
        <translation>Thẻ trên máy POS rời</translation>
    </message>
    <message>
        <location filename="../../ui/payments/payment_page.py" line="170"/>
        <source>Cancel card payment</source>
        <translation>Hủy thanh toán thẻ</translation>
    </message>
    <message>
        <location filename="../../ui/payments/payment_page.py" line="171"/>
        <source>Check again</source>
        <translation>Kiểm tra lại</translation>
    </message>
    <message>
        <location filename="../../ui/payments/payment_page.py" line="172"/>
        <source>Complete the sale</source>
        <translation>Hoàn tất đơn hàng</translation>
    </message>
    <message>
        <location filename="../../ui/payments/payment_page.py" line="203"/>
        <source>Amount: %1</source>
        <translation>Số tiền: %1</translation>
    </message>
    <message>
        <location filename="../../ui/payments/payment_page.py" line="221"/>
        <source>No card terminal is set up on this till. Ask a manager to set it up under Settings.</source>
        <translation>Quầy này chưa cài đặt máy POS thẻ. Nhờ quản lý cài đặt trong phần Cài đặt.</translation>
    </message>
    <message>
        <location filename="../../ui/payments/payment_page.py" line="233"/>
        <source>Present card on terminal…</source>
        <translation>Mời khách quẹt, chạm hoặc cắm thẻ trên máy POS…</translation>
    </message>
    <message>
        <location filename="../../ui/payments/payment_page.py" line="273"/>
        <source>A card payment of %1 on a stand-alone terminal needs a manager.</source>
        <translation>Thanh toán thẻ %1 trên máy POS rời cần quản lý duyệt.</translation>
    </message>
    <message>
        <location filename="../../ui/payments/payment_page.py" line="289"/>
        <source>Cancelling on the terminal…</source>
        <translation>Đang hủy trên máy POS…</translation>
    </message>
    <message>
        <location filename="../../ui/payments/payment_page.py" line="306"/>
        <source>No answer from the terminal yet. Do not take another payment: press Check again.</source>
        <translation>Máy POS chưa trả lời. Đừng thu thêm lần nữa: bấm Kiểm tra lại.</translation>
    </message>
    <message>
        <location filename="../../ui/payments/payment_page.py" line="317"/>
        <source>Card approved: %1</source>
        <translation>Thẻ được chấp nhận: %1</translation>
    </message>
    <message>
        <location filename="../../ui/payments/payment_page.py" line="329"/>
        <source>The card payment could not start: %1. Nothing was charged.</source>
        <translation>Không thể bắt đầu thanh toán thẻ: %1. Chưa trừ tiền.</translation>
    </message>
    <message>
        <location filename="../../ui/payments/payment_page.py" line="335"/>
        <source>Nothing was charged; the basket and the payments taken are kept.</source>
        <translation>Chưa trừ tiền; giỏ hàng và các khoản đã thu vẫn được giữ nguyên.</translation>
    </message>
    <message>
        <location filename="../../ui/payments/payment_page.py" line="337"/>
        <source>Declined: %1.</source>
        <translation>Bị từ chối: %1.</translation>
    </message>
    <message>
        <location filename="../../ui/payments/payment_page.py" line="337"/>
        <source>no reason given</source>
        <translation>không rõ lý do</translation>
    </message>
    <message>
        <location filename="../../ui/payments/payment_page.py" line="339"/>
        <source>Cancelled on the terminal.</source>
        <translation>Đã hủy trên máy POS.</translation>
    </message>
    <message>
        <location filename="../../ui/payments/payment_page.py" line="341"/>
        <source>The terminal is busy with another payment; try again.</source>
        <translation>Máy POS đang xử lý một giao dịch khác; hãy thử lại.</translation>
    </message>
    <message>
        <location filename="../../ui/payments/payment_page.py" line="343"/>
        <source>The terminal cannot be reached (%1).</source>
        <translation>Không kết nối được với máy POS (%1).</translation>
    </message>
    <message>
        <location filename="../../ui/payments/payment_page.py" line="356"/>
        <source>Voiding the card payment…</source>
        <translation>Đang hủy giao dịch thẻ…</translation>
    </message>
    <message>
        <location filename="../../ui/payments/payment_page.py" line="363"/>
        <source>The card payment was voided; the money goes back to the card.</source>
        <translation>Giao dịch thẻ đã được hủy; tiền được hoàn về thẻ.</translation>
    </message>
    <message>
        <location filename="../../ui/payments/payment_page.py" line="367"/>
        <source>The terminal did not confirm the void. The payment stays; try again or call a manager.</source>
        <translation>Máy POS chưa xác nhận việc hủy. Khoản thanh toán vẫn còn; hãy thử lại hoặc gọi quản lý.</translation>
    </message>
    <message>
        <location filename="../../ui/payments/payment_page.py" line="372"/>
        <source>Payments were taken: remove or void them before changing the basket.</source>
        <translation>Đã thu tiền: hãy xóa hoặc hủy các khoản đó trước khi sửa giỏ hàng.</translation>
    </message>
    <message>
        <location filename="../../ui/payments/payment_page.py" line="396"/>
        <source>Scanned %1, but this basket is being paid: finish the payment, or remove the payments first.</source>
        <translation>Đã quét %1, nhưng giỏ hàng này đang được thanh toán: hãy hoàn tất thanh toán, hoặc xóa các khoản đã thu trước.</translation>
    </message>
    <message>
        <location filename="../../ui/payments/payment_page.py" line="402"/>
        <source>%1 is more than the %2 still due. Only cash can be more (it gives change).</source>
        <translation>%1 nhiều hơn số %2 còn phải trả. Chỉ tiền mặt mới được trả dư (để thối lại).</translation>
    </message>
    <message>
        <location filename="../../ui/payments/payment_page.py" line="406"/>
        <source>Nothing is due.</source>
        <translation>Không còn gì phải trả.</translation>
    </message>
    <message>
        <location filename="../../ui/payments/payment_page.py" line="408"/>
        <source>Type an amount first.</source>
        <translation>Hãy nhập số tiền trước.</translation>
    </message>
    <message>
        <location filename="../../ui/payments/payment_page.py" line="424"/>
        <source>Cash %1</source>
        <translation>Tiền mặt %1</translation>
    </message>
    <message>
        <location filename="../../ui/payments/payment_page.py" line="426"/>
        <source>change %1</source>
        <translation>thối lại %1</translation>
    </message>
    <message>
        <location filename="../../ui/payments/payment_page.py" line="429"/>
        <source>Card %1</source>
        <translation>Thẻ %1</translation>
    </message>
    <message>
        <location filename="../../ui/payments/payment_page.py" line="448"/>
        <source>Void card payment</source>
        <translation>Hủy giao dịch thẻ</translation>
    </message>
    <message>
        <location filename="../../ui/payments/payment_page.py" line="450"/>
        <source>Remove payment</source>
        <translation>Xóa khoản thanh toán</translation>
    </message>
</context>
<context>
    <name>PaymentRecovery</name>
    <message>
        <location filename="../../ui/payments/recovery_report.py" line="23"/>
        <source>%1: approved, but its sale was never completed. It was reversed: no money was kept.</source>
        <translation>%1: đã được chấp nhận nhưng đơn hàng chưa hoàn tất. Giao dịch đã được đảo: không giữ tiền nào.</translation>
    </message>
    <message>
        <location filename="../../ui/payments/recovery_report.py" line="27"/>
        <source>%1: never approved. Nothing was charged.</source>
        <translation>%1: chưa bao giờ được chấp nhận. Chưa trừ tiền.</translation>
    </message>
    <message>
        <location filename="../../ui/payments/recovery_report.py" line="30"/>
        <source>%1: approved, but its sale was never completed, and the reversal failed. Call a manager before the customer leaves.</source>
        <translation>%1: đã được chấp nhận nhưng đơn hàng chưa hoàn tất, và việc đảo giao dịch thất bại. Gọi quản lý trước khi khách rời đi.</translation>
    </message>
    <message>
        <location filename="../../ui/payments/recovery_report.py" line="34"/>
        <source>%1: the terminal could not be asked yet. It will be asked again; do not take this payment again.</source>
        <translation>%1: chưa hỏi được máy POS. Máy sẽ hỏi lại; đừng thu khoản này lần nữa.</translation>
    </message>
    <message>
        <location filename="../../ui/payments/recovery_report.py" line="46"/>
        <source>Interrupted payments</source>
        <translation>Các thanh toán bị gián đoạn</translation>
    </message>
    <message>
        <location filename="../../ui/payments/recovery_report.py" line="47"/>
        <source>The till stopped while these payments were in progress:</source>
        <translation>Máy bán hàng đã dừng khi các thanh toán này đang thực hiện:</translation>
    </message>
</context>
<context>
    <name>PlannedScreen</name>
    <message>
        <location filename="../../ui/shell.py" line="44"/>
        <source>This screen is not available in this version yet.</source>
        <translation>Màn hình này chưa có trong phiên bản này.</translation>
    </message>
</context>
<context>
    <name>PointsDialog</name>
    <message>
        <location filename="../../ui/customers/points_dialog.py" line="27"/>
        <source>Pay with points</source>
        <translation>Trả bằng điểm</translation>
    </message>
    <message>
        <location filename="../../ui/customers/points_dialog.py" line="34"/>
        <source>Balance: &lt;b&gt;%1 points&lt;/b&gt;</source>
        <translation>Số dư: &lt;b&gt;%1 điểm&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../ui/customers/points_dialog.py" line="36"/>
        <source>Usable now: &lt;b&gt;%1 points&lt;/b&gt; = %2</source>
        <translation>Dùng được ngay: &lt;b&gt;%1 điểm&lt;/b&gt; = %2</translation>
    </message>
    <message>
        <location filename="../../ui/customers/points_dialog.py" line="40"/>
        <source>%1 points already used on this till are not booked at HQ yet</source>
        <translation>%1 điểm đã dùng trên máy này chưa được trụ sở ghi nhận</translation>
    </message>
    <message>
        <location filename="../../ui/customers/points_dialog.py" line="43"/>
        <source>Offline: saved balance, at most %1 more points today</source>
        <translation>Ngoại tuyến: số dư đã lưu, hôm nay dùng thêm tối đa %1 điểm</translation>
    </message>
    <message>
        <location filename="../../ui/customers/points_dialog.py" line="59"/>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <location filename="../../ui/customers/points_dialog.py" line="59"/>
        <source>Use points</source>
        <translation>Dùng điểm</translation>
    </message>
    <message>
        <location filename="../../ui/customers/points_dialog.py" line="72"/>
        <source>%1 points = %2</source>
        <translation>%1 điểm = %2</translation>
    </message>
    <message>
        <location filename="../../ui/customers/points_dialog.py" line="84"/>
        <source>That is more than the amount due.</source>
        <translation>Số này nhiều hơn số tiền phải trả.</translation>
    </message>
</context>
<context>
    <name>PrintProblemBanner</name>
    <message>
        <location filename="../../ui/printing/print_banner.py" line="59"/>
        <source>Retry</source>
        <translation>Thử lại</translation>
    </message>
    <message>
        <location filename="../../ui/printing/print_banner.py" line="69"/>
        <source>Receipt %1 did not print.</source>
        <translation>Hóa đơn %1 chưa in được.</translation>
    </message>
    <message>
        <location filename="../../ui/printing/print_banner.py" line="70"/>
        <source>A receipt did not print.</source>
        <translation>Một hóa đơn chưa in được.</translation>
    </message>
    <message>
        <location filename="../../ui/printing/print_banner.py" line="72"/>
        <source>%1 receipts did not print.</source>
        <translation>%1 hóa đơn chưa in được.</translation>
    </message>
    <message>
        <location filename="../../ui/printing/print_banner.py" line="74"/>
        <source>Discard</source>
        <translation>Bỏ qua</translation>
    </message>
    <message>
        <location filename="../../ui/printing/print_banner.py" line="75"/>
        <source>Discard all</source>
        <translation>Bỏ qua tất cả</translation>
    </message>
</context>
<context>
    <name>PrintWording</name>
    <message>
        <location filename="../../ui/printing/wording.py" line="24"/>
        <source>The printer cannot be reached. Check that it is switched on and connected.</source>
        <translation>Không kết nối được máy in. Kiểm tra máy in đã bật và đã cắm dây.</translation>
    </message>
    <message>
        <location filename="../../ui/printing/wording.py" line="25"/>
        <source>The printer is out of paper. Load a new roll.</source>
        <translation>Máy in hết giấy. Hãy lắp cuộn giấy mới.</translation>
    </message>
    <message>
        <location filename="../../ui/printing/wording.py" line="26"/>
        <source>The printer cover is open. Close it.</source>
        <translation>Nắp máy in đang mở. Hãy đóng nắp.</translation>
    </message>
    <message>
        <location filename="../../ui/printing/wording.py" line="27"/>
        <source>The printer is offline. Check its lights and buttons.</source>
        <translation>Máy in đang ngoại tuyến. Kiểm tra đèn và nút trên máy in.</translation>
    </message>
    <message>
        <location filename="../../ui/printing/wording.py" line="30"/>
        <source>The printer reports an error (paper jam, cutter or overheating). Check the printer.</source>
        <translation>Máy in báo lỗi (kẹt giấy, dao cắt hoặc quá nóng). Hãy kiểm tra máy in.</translation>
    </message>
    <message>
        <location filename="../../ui/printing/wording.py" line="33"/>
        <source>The connection to the printer broke while printing; the whole receipt prints again.</source>
        <translation>Mất kết nối với máy in khi đang in; hóa đơn sẽ được in lại toàn bộ.</translation>
    </message>
    <message>
        <location filename="../../ui/printing/wording.py" line="35"/>
        <source>This receipt cannot be printed: %1</source>
        <translation>Không thể in hóa đơn này: %1</translation>
    </message>
    <message>
        <location filename="../../ui/printing/wording.py" line="36"/>
        <source>The printer is not set up correctly: %1</source>
        <translation>Máy in chưa được cài đặt đúng: %1</translation>
    </message>
    <message>
        <location filename="../../ui/printing/wording.py" line="38"/>
        <source>The receipt did not print.</source>
        <translation>Hóa đơn chưa in được.</translation>
    </message>
    <message>
        <location filename="../../ui/printing/wording.py" line="45"/>
        <source>No receipt printer set up. The sale is saved; a manager can set up a printer in Settings, then reprint the receipt.</source>
        <translation>Chưa cài đặt máy in hóa đơn. Giao dịch đã được lưu; quản lý có thể cài đặt máy in trong Cài đặt rồi in lại hóa đơn.</translation>
    </message>
    <message>
        <location filename="../../ui/printing/wording.py" line="49"/>
        <source>Opening the cash drawer…</source>
        <translation>Đang mở ngăn kéo tiền…</translation>
    </message>
    <message>
        <location filename="../../ui/printing/wording.py" line="51"/>
        <location filename="../../ui/printing/wording.py" line="61"/>
        <source>The cash drawer is open.</source>
        <translation>Ngăn kéo tiền đã mở.</translation>
    </message>
    <message>
        <location filename="../../ui/printing/wording.py" line="53"/>
        <source>The cash drawer did not open: use its key.</source>
        <translation>Ngăn kéo tiền không mở: hãy dùng chìa khóa.</translation>
    </message>
    <message>
        <location filename="../../ui/printing/wording.py" line="55"/>
        <source>Printing a copy…</source>
        <translation>Đang in bản sao…</translation>
    </message>
    <message>
        <location filename="../../ui/printing/wording.py" line="56"/>
        <source>Printing the receipt…</source>
        <translation>Đang in hóa đơn…</translation>
    </message>
    <message>
        <location filename="../../ui/printing/wording.py" line="58"/>
        <source>Copy printed.</source>
        <translation>Đã in bản sao.</translation>
    </message>
    <message>
        <location filename="../../ui/printing/wording.py" line="59"/>
        <source>Receipt printed.</source>
        <translation>Đã in hóa đơn.</translation>
    </message>
    <message>
        <location filename="../../ui/printing/wording.py" line="63"/>
        <source>The paper roll is nearly finished.</source>
        <translation>Cuộn giấy sắp hết.</translation>
    </message>
    <message>
        <location filename="../../ui/printing/wording.py" line="66"/>
        <source>The receipt was not printed. Reprint it from Receipts.</source>
        <translation>Hóa đơn chưa được in. Hãy in lại từ mục Hóa đơn.</translation>
    </message>
    <message>
        <location filename="../../ui/printing/wording.py" line="69"/>
        <source>The receipt is kept and prints when the printer is ready.</source>
        <translation>Hóa đơn được giữ lại và sẽ in khi máy in sẵn sàng.</translation>
    </message>
    <message>
        <location filename="../../ui/printing/wording.py" line="72"/>
        <source>The receipt is kept: tap Retry after fixing it.</source>
        <translation>Hóa đơn được giữ lại: sửa lỗi xong hãy bấm Thử lại.</translation>
    </message>
    <message>
        <location filename="../../ui/printing/wording.py" line="78"/>
        <source>No receipt printer set up</source>
        <translation>Chưa cài đặt máy in hóa đơn</translation>
    </message>
    <message>
        <location filename="../../ui/printing/wording.py" line="80"/>
        <source>Printer: not checked yet</source>
        <translation>Máy in: chưa kiểm tra</translation>
    </message>
    <message>
        <location filename="../../ui/printing/wording.py" line="82"/>
        <source>Printer: not reachable</source>
        <translation>Máy in: không kết nối được</translation>
    </message>
    <message>
        <location filename="../../ui/printing/wording.py" line="84"/>
        <source>Printer connected (it does not report its status)</source>
        <translation>Đã kết nối máy in (máy không báo trạng thái)</translation>
    </message>
    <message>
        <location filename="../../ui/printing/wording.py" line="85"/>
        <source>Printer: out of paper</source>
        <translation>Máy in: hết giấy</translation>
    </message>
    <message>
        <location filename="../../ui/printing/wording.py" line="86"/>
        <source>Printer: cover open</source>
        <translation>Máy in: nắp đang mở</translation>
    </message>
    <message>
        <location filename="../../ui/printing/wording.py" line="87"/>
        <source>Printer: error</source>
        <translation>Máy in: lỗi</translation>
    </message>
    <message>
        <location filename="../../ui/printing/wording.py" line="88"/>
        <source>Printer: offline</source>
        <translation>Máy in: ngoại tuyến</translation>
    </message>
    <message>
        <location filename="../../ui/printing/wording.py" line="89"/>
        <source>Printer ready</source>
        <translation>Máy in sẵn sàng</translation>
    </message>
    <message>
        <location filename="../../ui/printing/wording.py" line="91"/>
        <source>paper low</source>
        <translation>sắp hết giấy</translation>
    </message>
    <message>
        <location filename="../../ui/printing/wording.py" line="93"/>
        <source>drawer open</source>
        <translation>ngăn kéo đang mở</translation>
    </message>
    <message>
        <location filename="../../ui/printing/wording.py" line="100"/>
        <source>yes</source>
        <translation>có</translation>
    </message>
    <message>
        <location filename="../../ui/printing/wording.py" line="100"/>
        <source>no</source>
        <translation>không</translation>
    </message>
    <message>
        <location filename="../../ui/printing/wording.py" line="100"/>
        <location filename="../../ui/printing/wording.py" line="104"/>
        <source>unknown</source>
        <translation>không rõ</translation>
    </message>
    <message>
        <location filename="../../ui/printing/wording.py" line="101"/>
        <source>out</source>
        <translation>hết</translation>
    </message>
    <message>
        <location filename="../../ui/printing/wording.py" line="102"/>
        <source>nearly finished</source>
        <translation>sắp hết</translation>
    </message>
    <message>
        <location filename="../../ui/printing/wording.py" line="102"/>
        <source>OK</source>
        <translation>Tốt</translation>
    </message>
    <message>
        <location filename="../../ui/printing/wording.py" line="103"/>
        <source>open</source>
        <translation>đang mở</translation>
    </message>
    <message>
        <location filename="../../ui/printing/wording.py" line="103"/>
        <source>closed</source>
        <translation>đã đóng</translation>
    </message>
    <message>
        <location filename="../../ui/printing/wording.py" line="105"/>
        <source>Online</source>
        <translation>Trực tuyến</translation>
    </message>
    <message>
        <location filename="../../ui/printing/wording.py" line="105"/>
        <source>Paper</source>
        <translation>Giấy</translation>
    </message>
    <message>
        <location filename="../../ui/printing/wording.py" line="106"/>
        <source>Cover open</source>
        <translation>Nắp mở</translation>
    </message>
    <message>
        <location filename="../../ui/printing/wording.py" line="107"/>
        <source>Cash drawer</source>
        <translation>Ngăn kéo tiền</translation>
    </message>
</context>
<context>
    <name>PrinterSettingsPanel</name>
    <message>
        <location filename="../../ui/printing/printer_settings_panel.py" line="90"/>
        <source>Receipt printer</source>
        <translation>Máy in hóa đơn</translation>
    </message>
    <message>
        <location filename="../../ui/printing/printer_settings_panel.py" line="91"/>
        <source>Address (URI)</source>
        <translation>Địa chỉ (URI)</translation>
    </message>
    <message>
        <location filename="../../ui/printing/printer_settings_panel.py" line="91"/>
        <source>Model (profile)</source>
        <translation>Mẫu máy (profile)</translation>
    </message>
    <message>
        <location filename="../../ui/printing/printer_settings_panel.py" line="92"/>
        <source>Paper width</source>
        <translation>Khổ giấy</translation>
    </message>
    <message>
        <location filename="../../ui/printing/printer_settings_panel.py" line="92"/>
        <source>Text</source>
        <translation>Chữ</translation>
    </message>
    <message>
        <location filename="../../ui/printing/printer_settings_panel.py" line="94"/>
        <source>From the model</source>
        <translation>Theo mẫu máy</translation>
    </message>
    <message>
        <location filename="../../ui/printing/printer_settings_panel.py" line="97"/>
        <source>Automatic: the printer&apos;s characters, pictures where needed</source>
        <translation>Tự động: chữ của máy in, in dạng ảnh khi cần</translation>
    </message>
    <message>
        <location filename="../../ui/printing/printer_settings_panel.py" line="98"/>
        <source>The printer&apos;s characters only</source>
        <translation>Chỉ dùng chữ của máy in</translation>
    </message>
    <message>
        <location filename="../../ui/printing/printer_settings_panel.py" line="99"/>
        <source>Everything as pictures (slower, prints any text)</source>
        <translation>In tất cả dạng ảnh (chậm hơn, in được mọi chữ)</translation>
    </message>
    <message>
        <location filename="../../ui/printing/printer_settings_panel.py" line="100"/>
        <source>Save</source>
        <translation>Lưu</translation>
    </message>
    <message>
        <location filename="../../ui/printing/printer_settings_panel.py" line="101"/>
        <source>Print test page</source>
        <translation>In trang thử</translation>
    </message>
    <message>
        <location filename="../../ui/printing/printer_settings_panel.py" line="102"/>
        <source>Check status</source>
        <translation>Kiểm tra trạng thái</translation>
    </message>
    <message>
        <location filename="../../ui/printing/printer_settings_panel.py" line="103"/>
        <source>Remove printer</source>
        <translation>Gỡ máy in</translation>
    </message>
    <message>
        <location filename="../../ui/printing/printer_settings_panel.py" line="126"/>
        <source>Type the printer&apos;s address, e.g. tcp://192.168.1.50:9100.</source>
        <translation>Nhập địa chỉ máy in, ví dụ tcp://192.168.1.50:9100.</translation>
    </message>
    <message>
        <location filename="../../ui/printing/printer_settings_panel.py" line="145"/>
        <source>Saving…</source>
        <translation>Đang lưu…</translation>
    </message>
    <message>
        <location filename="../../ui/printing/printer_settings_panel.py" line="147"/>
        <source>Saved. Receipts print on %1.</source>
        <translation>Đã lưu. Hóa đơn sẽ in trên %1.</translation>
    </message>
    <message>
        <location filename="../../ui/printing/printer_settings_panel.py" line="154"/>
        <source>No receipt printer is set up now.</source>
        <translation>Hiện không có máy in hóa đơn nào được cài đặt.</translation>
    </message>
    <message>
        <location filename="../../ui/printing/printer_settings_panel.py" line="162"/>
        <source>Printing the test page…</source>
        <translation>Đang in trang thử…</translation>
    </message>
    <message>
        <location filename="../../ui/printing/printer_settings_panel.py" line="174"/>
        <source>Asking the printer…</source>
        <translation>Đang hỏi máy in…</translation>
    </message>
    <message>
        <location filename="../../ui/printing/printer_settings_panel.py" line="184"/>
        <source>The test page was printed.</source>
        <translation>Đã in trang thử.</translation>
    </message>
</context>
<context>
    <name>PrinterStateLabel</name>
    <message>
        <location filename="../../ui/printing/print_banner.py" line="99"/>
        <source>Printer settings are not usable: %1</source>
        <translation>Cài đặt máy in không dùng được: %1</translation>
    </message>
    <message>
        <location filename="../../ui/printing/print_banner.py" line="103"/>
        <source>receipts waiting: %1</source>
        <translation>hóa đơn chờ in: %1</translation>
    </message>
</context>
<context>
    <name>ProfileView</name>
    <message>
        <location filename="../../ui/customers/profile_view.py" line="112"/>
        <source>◀ Back</source>
        <translation>◀ Quay lại</translation>
    </message>
    <message>
        <location filename="../../ui/customers/profile_view.py" line="113"/>
        <source>Edit</source>
        <translation>Sửa</translation>
    </message>
    <message>
        <location filename="../../ui/customers/profile_view.py" line="114"/>
        <source>Attach to sale</source>
        <translation>Gắn vào đơn</translation>
    </message>
    <message>
        <location filename="../../ui/customers/profile_view.py" line="115"/>
        <source>History</source>
        <translation>Lịch sử</translation>
    </message>
    <message>
        <location filename="../../ui/customers/profile_view.py" line="115"/>
        <source>Cart &amp;&amp; wishlist</source>
        <translation>Giỏ &amp;&amp; yêu thích</translation>
    </message>
    <message>
        <location filename="../../ui/customers/profile_view.py" line="116"/>
        <source>Notes &amp;&amp; tasks</source>
        <translation>Ghi chú &amp;&amp; việc</translation>
    </message>
    <message>
        <location filename="../../ui/customers/profile_view.py" line="116"/>
        <source>Loyalty</source>
        <translation>Điểm thưởng</translation>
    </message>
    <message>
        <location filename="../../ui/customers/profile_view.py" line="117"/>
        <source>Suggestions</source>
        <translation>Gợi ý</translation>
    </message>
    <message>
        <location filename="../../ui/customers/profile_view.py" line="136"/>
        <source>merged into this customer</source>
        <translation>đã gộp vào khách hàng này</translation>
    </message>
    <message>
        <location filename="../../ui/customers/profile_view.py" line="139"/>
        <source>Tier: &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>Hạng: &lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../ui/customers/profile_view.py" line="140"/>
        <source>Points: &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>Điểm: &lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../ui/customers/profile_view.py" line="142"/>
        <source>Lifetime value: &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>Tổng chi tiêu: &lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../ui/customers/profile_view.py" line="145"/>
        <source>Customer since %1</source>
        <translation>Khách hàng từ %1</translation>
    </message>
    <message>
        <location filename="../../ui/customers/profile_view.py" line="150"/>
        <source>Card %1</source>
        <translation>Thẻ %1</translation>
    </message>
    <message>
        <location filename="../../ui/customers/profile_view.py" line="151"/>
        <source>No contact details</source>
        <translation>Không có thông tin liên hệ</translation>
    </message>
    <message>
        <location filename="../../ui/customers/profile_view.py" line="154"/>
        <source>yes</source>
        <translation>có</translation>
    </message>
    <message>
        <location filename="../../ui/customers/profile_view.py" line="154"/>
        <source>no</source>
        <translation>không</translation>
    </message>
    <message>
        <location filename="../../ui/customers/profile_view.py" line="160"/>
        <source>No consent recorded</source>
        <translation>Chưa ghi nhận đồng ý</translation>
    </message>
    <message>
        <location filename="../../ui/customers/profile_view.py" line="163"/>
        <source>Sizes: %1</source>
        <translation>Cỡ: %1</translation>
    </message>
    <message>
        <location filename="../../ui/customers/profile_view.py" line="164"/>
        <source>Preferences: %1</source>
        <translation>Sở thích: %1</translation>
    </message>
</context>
<context>
    <name>ReceiptPreview</name>
    <message>
        <location filename="../../ui/printing/receipt_preview.py" line="56"/>
        <source>Preparing the receipt preview…</source>
        <translation>Đang chuẩn bị xem trước hóa đơn…</translation>
    </message>
    <message>
        <location filename="../../ui/printing/receipt_preview.py" line="79"/>
        <source>No preview: %1</source>
        <translation>Không xem trước được: %1</translation>
    </message>
</context>
<context>
    <name>ReceiptsScreen</name>
    <message>
        <location filename="../../ui/printing/receipts_screen.py" line="78"/>
        <source>Receipt number, e.g. 123 or HCM1-T01-000123</source>
        <translation>Số hóa đơn, ví dụ 123 hoặc HCM1-T01-000123</translation>
    </message>
    <message>
        <location filename="../../ui/printing/receipts_screen.py" line="79"/>
        <source>Find</source>
        <translation>Tìm</translation>
    </message>
    <message>
        <location filename="../../ui/printing/receipts_screen.py" line="80"/>
        <source>Reprint as copy</source>
        <translation>In lại bản sao</translation>
    </message>
    <message>
        <location filename="../../ui/printing/receipts_screen.py" line="81"/>
        <source>Receipt</source>
        <translation>Hóa đơn</translation>
    </message>
    <message>
        <location filename="../../ui/printing/receipts_screen.py" line="81"/>
        <source>Time</source>
        <translation>Thời gian</translation>
    </message>
    <message>
        <location filename="../../ui/printing/receipts_screen.py" line="82"/>
        <source>Total</source>
        <translation>Tổng</translation>
    </message>
    <message>
        <location filename="../../ui/printing/receipts_screen.py" line="82"/>
        <source>Sold by</source>
        <translation>Người bán</translation>
    </message>
    <message>
        <location filename="../../ui/printing/receipts_screen.py" line="83"/>
        <source>Printed</source>
        <translation>Đã in</translation>
    </message>
    <message>
        <location filename="../../ui/printing/receipts_screen.py" line="102"/>
        <source>No receipt with that number on this till.</source>
        <translation>Không có hóa đơn số này trên máy này.</translation>
    </message>
    <message>
        <location filename="../../ui/printing/receipts_screen.py" line="103"/>
        <source>No sales on this till yet.</source>
        <translation>Máy này chưa có giao dịch nào.</translation>
    </message>
    <message>
        <location filename="../../ui/printing/receipts_screen.py" line="111"/>
        <source>yes</source>
        <translation>có</translation>
    </message>
    <message>
        <location filename="../../ui/printing/receipts_screen.py" line="111"/>
        <source>waiting</source>
        <translation>đang chờ</translation>
    </message>
    <message>
        <location filename="../../ui/printing/receipts_screen.py" line="112"/>
        <source>no printer</source>
        <translation>không có máy in</translation>
    </message>
    <message>
        <location filename="../../ui/printing/receipts_screen.py" line="112"/>
        <location filename="../../ui/printing/receipts_screen.py" line="113"/>
        <source>no</source>
        <translation>không</translation>
    </message>
    <message>
        <location filename="../../ui/printing/receipts_screen.py" line="147"/>
        <source>No receipt printer set up: a manager sets one up in Settings.</source>
        <translation>Chưa cài đặt máy in hóa đơn: quản lý cài đặt trong mục Cài đặt.</translation>
    </message>
    <message>
        <location filename="../../ui/printing/receipts_screen.py" line="151"/>
        <source>Printing a copy of %1…</source>
        <translation>Đang in bản sao của %1…</translation>
    </message>
</context>
<context>
    <name>RecommendationsTab</name>
    <message>
        <location filename="../../ui/customers/profile_tabs.py" line="217"/>
        <source>Add to basket</source>
        <translation>Thêm vào đơn</translation>
    </message>
    <message>
        <location filename="../../ui/customers/profile_tabs.py" line="219"/>
        <source>No suggestions yet: they come from her orders.</source>
        <translation>Chưa có gợi ý: gợi ý dựa trên các đơn của khách.</translation>
    </message>
</context>
<context>
    <name>SaleCompleteView</name>
    <message>
        <location filename="../../ui/sell/sale_complete.py" line="152"/>
        <source>Sale complete</source>
        <translation>Hoàn tất bán hàng</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sale_complete.py" line="153"/>
        <source>New sale</source>
        <translation>Đơn mới</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sale_complete.py" line="154"/>
        <source>Retry</source>
        <translation>Thử lại</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sale_complete.py" line="155"/>
        <source>Reprint</source>
        <translation>In lại</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sale_complete.py" line="159"/>
        <source>Receipt %1</source>
        <translation>Hóa đơn %1</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sale_complete.py" line="160"/>
        <source>Total %1</source>
        <translation>Tổng cộng %1</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sale_complete.py" line="161"/>
        <source>Change %1</source>
        <translation>Tiền thừa %1</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sale_complete.py" line="165"/>
        <source>Loyalty points earned: %1</source>
        <translation>Điểm tích lũy: %1</translation>
    </message>
</context>
<context>
    <name>ScanSearch</name>
    <message>
        <location filename="../../ui/sell/scan_search.py" line="49"/>
        <source>Scan a barcode or search products</source>
        <translation>Quét mã vạch hoặc tìm sản phẩm</translation>
    </message>
    <message>
        <location filename="../../ui/sell/scan_search.py" line="77"/>
        <source>No products match</source>
        <translation>Không có sản phẩm phù hợp</translation>
    </message>
</context>
<context>
    <name>SellScreen</name>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="164"/>
        <source>No sale</source>
        <translation>Mở ngăn kéo</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="165"/>
        <source>Pay cash</source>
        <translation>Trả tiền mặt</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="166"/>
        <source>Card, split…</source>
        <translation>Thẻ, chia nhiều cách…</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="193"/>
        <source>Unknown barcode %1: not in this store&apos;s catalog. Nothing was added.</source>
        <translation>Mã vạch %1 không có trong danh mục của cửa hàng. Chưa thêm gì.</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="196"/>
        <source>Not a valid barcode: %1. Nothing was added.</source>
        <translation>Mã vạch không hợp lệ: %1. Chưa thêm gì.</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="211"/>
        <source>Added %1</source>
        <translation>Đã thêm %1</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="216"/>
        <location filename="../../ui/sell/sell_screen.py" line="228"/>
        <source>The basket is empty</source>
        <translation>Giỏ hàng trống</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="246"/>
        <source>Sign in first</source>
        <translation>Hãy đăng nhập trước</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="270"/>
        <source>The sale was NOT recorded: %1. The basket is kept; try again.</source>
        <translation>Đơn hàng CHƯA được ghi: %1. Giỏ hàng vẫn giữ nguyên; hãy thử lại.</translation>
    </message>
</context>
<context>
    <name>SettingsScreen</name>
    <message>
        <location filename="../../ui/shell.py" line="112"/>
        <source>Language</source>
        <translation>Ngôn ngữ</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="113"/>
        <source>Store</source>
        <translation>Cửa hàng</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="114"/>
        <source>Device</source>
        <translation>Thiết bị</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="115"/>
        <source>A manager sets up the receipt printer and the card terminal here.</source>
        <translation>Quản lý cài đặt máy in hóa đơn và máy POS thẻ tại đây.</translation>
    </message>
</context>
<context>
    <name>StandaloneCardDialog</name>
    <message>
        <location filename="../../ui/payments/standalone_dialog.py" line="19"/>
        <source>Card on a stand-alone terminal</source>
        <translation>Thẻ trên máy POS rời</translation>
    </message>
    <message>
        <location filename="../../ui/payments/standalone_dialog.py" line="21"/>
        <source>Key %1 on the terminal. When it is approved, type what its slip says:</source>
        <translation>Nhập %1 trên máy POS. Khi được chấp nhận, hãy gõ lại thông tin trên phiếu:</translation>
    </message>
    <message>
        <location filename="../../ui/payments/standalone_dialog.py" line="36"/>
        <source>Approval code</source>
        <translation>Mã chuẩn chi</translation>
    </message>
    <message>
        <location filename="../../ui/payments/standalone_dialog.py" line="37"/>
        <source>Card&apos;s last 4 digits</source>
        <translation>4 số cuối của thẻ</translation>
    </message>
    <message>
        <location filename="../../ui/payments/standalone_dialog.py" line="38"/>
        <source>Back</source>
        <translation>Quay lại</translation>
    </message>
    <message>
        <location filename="../../ui/payments/standalone_dialog.py" line="38"/>
        <source>Record payment</source>
        <translation>Ghi nhận thanh toán</translation>
    </message>
    <message>
        <location filename="../../ui/payments/standalone_dialog.py" line="51"/>
        <source>The approval code is 2 to 8 letters or digits, as printed on the slip.</source>
        <translation>Mã chuẩn chi gồm 2 đến 8 chữ hoặc số, như in trên phiếu.</translation>
    </message>
    <message>
        <location filename="../../ui/payments/standalone_dialog.py" line="53"/>
        <source>Type the card&apos;s last 4 digits, nothing more.</source>
        <translation>Chỉ nhập 4 số cuối của thẻ, không hơn.</translation>
    </message>
</context>
<context>
    <name>SyncScreen</name>
    <message>
        <location filename="../../ui/sync_screen.py" line="58"/>
        <source>Refresh</source>
        <translation>Làm mới</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="59"/>
        <source>Sync now</source>
        <translation>Đồng bộ ngay</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="60"/>
        <source>Retry held events</source>
        <translation>Gửi lại các sự kiện bị giữ</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="61"/>
        <source>Receipt</source>
        <translation>Hóa đơn</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="61"/>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="62"/>
        <source>Created (UTC)</source>
        <translation>Tạo lúc (UTC)</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="62"/>
        <source>Attempts</source>
        <translation>Số lần thử</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="63"/>
        <source>Reason</source>
        <translation>Lý do</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="84"/>
        <source>%1 waiting to reach HQ · %2 refused by HQ · %3 delivered</source>
        <translation>%1 chờ gửi về HQ · %2 bị HQ từ chối · %3 đã gửi</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="88"/>
        <source>%1 held at this till: HQ failed on them; the rest went on</source>
        <translation>%1 bị giữ lại tại máy này: HQ gặp lỗi khi nhận; phần còn lại vẫn được gửi</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="92"/>
        <source>waiting</source>
        <translation>đang chờ</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="92"/>
        <source>refused by HQ</source>
        <translation>HQ từ chối</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="93"/>
        <source>held at this till</source>
        <translation>giữ lại tại máy này</translation>
    </message>
</context>
<context>
    <name>TerminalSettingsPanel</name>
    <message>
        <location filename="../../ui/payments/terminal_settings_panel.py" line="87"/>
        <source>Card terminal</source>
        <translation>Máy POS thẻ</translation>
    </message>
    <message>
        <location filename="../../ui/payments/terminal_settings_panel.py" line="89"/>
        <source>Address</source>
        <translation>Địa chỉ</translation>
    </message>
    <message>
        <location filename="../../ui/payments/terminal_settings_panel.py" line="89"/>
        <source>Terminal ID (POIID)</source>
        <translation>Mã máy POS (POIID)</translation>
    </message>
    <message>
        <location filename="../../ui/payments/terminal_settings_panel.py" line="89"/>
        <source>Key identifier</source>
        <translation>Mã khóa</translation>
    </message>
    <message>
        <location filename="../../ui/payments/terminal_settings_panel.py" line="90"/>
        <source>Key version</source>
        <translation>Phiên bản khóa</translation>
    </message>
    <message>
        <location filename="../../ui/payments/terminal_settings_panel.py" line="90"/>
        <source>Key passphrase</source>
        <translation>Mật khẩu khóa</translation>
    </message>
    <message>
        <location filename="../../ui/payments/terminal_settings_panel.py" line="91"/>
        <source>CA certificate file</source>
        <translation>Tệp chứng chỉ CA</translation>
    </message>
    <message>
        <location filename="../../ui/payments/terminal_settings_panel.py" line="93"/>
        <source>unchanged</source>
        <translation>giữ nguyên</translation>
    </message>
    <message>
        <location filename="../../ui/payments/terminal_settings_panel.py" line="95"/>
        <source>Save</source>
        <translation>Lưu</translation>
    </message>
    <message>
        <location filename="../../ui/payments/terminal_settings_panel.py" line="96"/>
        <source>Test</source>
        <translation>Kiểm tra</translation>
    </message>
    <message>
        <location filename="../../ui/payments/terminal_settings_panel.py" line="97"/>
        <source>Remove terminal</source>
        <translation>Gỡ máy POS</translation>
    </message>
    <message>
        <location filename="../../ui/payments/terminal_settings_panel.py" line="129"/>
        <source>Saving…</source>
        <translation>Đang lưu…</translation>
    </message>
    <message>
        <location filename="../../ui/payments/terminal_settings_panel.py" line="139"/>
        <source>Saved. Card payments go to %1.</source>
        <translation>Đã lưu. Thanh toán thẻ sẽ qua máy %1.</translation>
    </message>
    <message>
        <location filename="../../ui/payments/terminal_settings_panel.py" line="145"/>
        <source>No card terminal is set up now.</source>
        <translation>Hiện chưa cài đặt máy POS thẻ nào.</translation>
    </message>
    <message>
        <location filename="../../ui/payments/terminal_settings_panel.py" line="153"/>
        <source>Asking the terminal…</source>
        <translation>Đang hỏi máy POS…</translation>
    </message>
    <message>
        <location filename="../../ui/payments/terminal_settings_panel.py" line="171"/>
        <source>The terminal answered: it is set up right. Nothing was charged.</source>
        <translation>Máy POS đã trả lời: cài đặt đúng. Không trừ tiền nào.</translation>
    </message>
    <message>
        <location filename="../../ui/payments/terminal_settings_panel.py" line="174"/>
        <source>The terminal did not answer as expected (%1). Check the address and that it is switched on.</source>
        <translation>Máy POS không trả lời như mong đợi (%1). Kiểm tra địa chỉ và máy đã bật chưa.</translation>
    </message>
</context>
<context>
    <name>TextInput</name>
    <message>
        <location filename="../../ui/text_input.py" line="19"/>
        <source>%1: an invisible control character (%2) at position %3 cannot be saved. Delete it (or retype the text) and try again.</source>
        <translation>%1: không thể lưu ký tự điều khiển ẩn (%2) ở vị trí %3. Hãy xoá ký tự đó (hoặc gõ lại) rồi thử lại.</translation>
    </message>
</context>
</TS>
